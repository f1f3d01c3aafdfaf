/**
 * What the privacy notice lists when telemetry is on, made from `collectedCategories()` (the
 * telemetry schema itself) and the notice's words: a field the schema gains shows up here with no
 * one writing it down, and a field with no words yet still shows, under its own name.
 */
import type { CollectedCategoryEntry } from '../../shared/telemetry-collected';

export interface NoticeField {
  name: string;
  label: string;
  treatment: string;
}

export interface NoticeSection {
  category: string;
  title: string;
  note: string;
  eventTypes: string[];
  fields: NoticeField[];
}

export function noticeSections(
  categories: CollectedCategoryEntry[],
  words: Readonly<Record<string, string | undefined>>,
): NoticeSection[] {
  return categories.map(({ category, eventTypes, fields }) => ({
    category,
    title: words[`category.${category}`] ?? category,
    note: words[`categoryNote.${category}`] ?? '',
    eventTypes,
    fields: fields.map(({ name, treatment }) => ({
      name,
      label: words[`field.${category}.${name}`] ?? name,
      treatment: words[`treatment.${treatment}`] ?? treatment,
    })),
  }));
}
