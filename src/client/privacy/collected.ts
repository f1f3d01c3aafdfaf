/**
 * What a page sends when on, by category: `collectedCategories()` (src/shared/telemetry-collected.ts,
 * read off the telemetry schema) evaluated by vite.config.ts at build time. The notice thus lists
 * exactly what the schema of the same build lets a page send, without shipping valibot and the
 * schema to the page: in the notice's chunk they would become a chunk shared with the meetings
 * shell, which then keeps its own unused schemas too (about 2.5 KB gzip more on every join).
 */
import type { CollectedCategoryEntry } from '../../shared/telemetry-collected';

declare const __COLLECTED_CATEGORIES__: CollectedCategoryEntry[];

export const COLLECTED_CATEGORIES_AT_BUILD: CollectedCategoryEntry[] = __COLLECTED_CATEGORIES__;
