/**
 * Web-service configuration documents, keyed by Identity: `Global`, `Site:<name>`,
 * `Service:WebServer:<pool fqdn>`. The effective configuration of a pool is its service
 * document if it exists, else its site's, else Global (whole-document override).
 */
import { documentProblem, PARAMETER_NAMES, PRODUCT_DEFAULTS, type WebServiceConfig } from '../../shared/config-schema';
import type { Sql } from '../sql/sql';
import { findPool, findSite, type Pool } from '../topology/topology';
import { type ChangeAuthor, recordDocumentChange, SYSTEM_ACTOR } from './config-history';

export type Identity = { kind: 'global' } | { kind: 'site'; site: string } | { kind: 'service'; pool: string };

export type StoredDocument = { Identity: string } & WebServiceConfig;

export class IdentityError extends Error {}

/** Parses an Identity (prefixes case-insensitive) against the topology; throws IdentityError. */
export async function parseIdentity(sql: Sql, raw: string): Promise<Identity> {
  const text = raw.trim();
  if (/^global$/i.test(text)) return { kind: 'global' };
  const site = /^site:(.+)$/i.exec(text);
  if (site) {
    const name = await findSite(sql, site[1] as string);
    if (!name) throw new IdentityError(`Identity "${raw}": there is no site named "${site[1]}"`);
    return { kind: 'site', site: name };
  }
  const service = /^service:webserver:(.+)$/i.exec(text);
  if (service) {
    const pool = await findPool(sql, service[1] as string);
    if (!pool) throw new IdentityError(`Identity "${raw}": there is no pool named "${service[1]}"`);
    return { kind: 'service', pool: pool.fqdn };
  }
  throw new IdentityError(
    `Identity "${raw}" is not valid: use Global, Site:<site name> or Service:WebServer:<pool fqdn>`,
  );
}

export function identityString(identity: Identity): string {
  switch (identity.kind) {
    case 'global':
      return 'Global';
    case 'site':
      return `Site:${identity.site}`;
    case 'service':
      return `Service:WebServer:${identity.pool}`;
  }
}

/** The Identity of a stored document (its key is already canonical: no topology lookup). */
export function identityOfStored(key: string): Identity {
  if (key.startsWith('Site:')) return { kind: 'site', site: key.slice('Site:'.length) };
  if (key.startsWith('Service:WebServer:')) return { kind: 'service', pool: key.slice('Service:WebServer:'.length) };
  return { kind: 'global' };
}

function toStored(identity: string, json: string): StoredDocument {
  const parsed = JSON.parse(json) as Record<string, unknown>;
  const config: Record<string, unknown> = { ...PRODUCT_DEFAULTS };
  for (const name of PARAMETER_NAMES) if (name in parsed) config[name] = parsed[name];
  return { Identity: identity, ...(config as WebServiceConfig) };
}

export async function listDocuments(sql: Sql): Promise<StoredDocument[]> {
  const rows = await sql.all<{ identity: string; document: string }>('SELECT identity, document FROM config_documents');
  const order = (id: string) => (id === 'Global' ? 0 : id.startsWith('Site:') ? 1 : 2);
  return rows
    .map((r) => toStored(r.identity, r.document))
    .sort((a, b) => order(a.Identity) - order(b.Identity) || a.Identity.localeCompare(b.Identity));
}

export async function getDocument(sql: Sql, identity: Identity): Promise<StoredDocument | undefined> {
  const key = identityString(identity);
  const row = await sql.get<{ identity: string; document: string }>(
    'SELECT identity, document FROM config_documents WHERE identity = ?',
    [key],
  );
  if (row) return toStored(row.identity, row.document);
  return identity.kind === 'global' ? { Identity: 'Global', ...PRODUCT_DEFAULTS } : undefined;
}

/**
 * A document's parameters as they are before a write: undefined when it does not exist (Global
 * always exists: never written, it is the product defaults, which is what the pages get).
 */
async function storedConfig(sql: Sql, identity: Identity): Promise<WebServiceConfig | undefined> {
  const doc = await getDocument(sql, identity);
  if (!doc) return undefined;
  const { Identity: _, ...config } = doc;
  return config;
}

/** When the caller names no author (the demo seed, a test): the server itself, now. */
const systemAuthor = (): ChangeAuthor => ({ actor: SYSTEM_ACTOR, at: Date.now() });

/**
 * Writes a whole document (atomic) and records each parameter it changed in the history, in one
 * transaction (a savepoint inside the caller's); refuses an invalid one. `by`: who and when; an
 * API passes `api-key:<name>`.
 */
export async function putDocument(
  sql: Sql,
  identity: Identity,
  config: WebServiceConfig,
  by: ChangeAuthor = systemAuthor(),
): Promise<StoredDocument> {
  const problem = documentProblem(config);
  if (problem) throw new Error(`refusing to store an invalid document: ${problem}`);
  const document: Record<string, unknown> = {};
  for (const name of PARAMETER_NAMES) document[name] = config[name];
  const key = identityString(identity);
  await sql.transaction(async (tx) => {
    const before = await storedConfig(tx, identity);
    await tx.run(
      'INSERT INTO config_documents (identity, document) VALUES (?, ?) ON CONFLICT (identity) DO UPDATE SET document = excluded.document',
      [key, JSON.stringify(document)],
    );
    await recordDocumentChange(tx, by, key, before, document as WebServiceConfig);
  });
  return { Identity: key, ...(document as WebServiceConfig) };
}

/**
 * Deletes a document (Global is reset to the product defaults instead) and records each of its
 * parameters as gone (Global: each one the reset changed), in one transaction.
 */
export async function removeDocument(
  sql: Sql,
  identity: Identity,
  by: ChangeAuthor = systemAuthor(),
): Promise<boolean> {
  if (identity.kind === 'global') {
    await putDocument(sql, identity, { ...PRODUCT_DEFAULTS }, by);
    return true;
  }
  return sql.transaction(async (tx) => {
    const before = await storedConfig(tx, identity);
    const key = identityString(identity);
    const removed = (await tx.run('DELETE FROM config_documents WHERE identity = ?', [key])).changes > 0;
    if (removed) await recordDocumentChange(tx, by, key, before, undefined);
    return removed;
  });
}

/**
 * The configuration that applies to a pool right now, read from the store in one statement: the
 * pool's service document, else its site's, else Global (else the product defaults).
 */
export async function effectiveConfigFor(sql: Sql, pool: Pool): Promise<StoredDocument> {
  const row = await sql.get<{ identity: string; document: string }>(
    `SELECT identity, document FROM config_documents WHERE identity IN (?, ?, 'Global')
     ORDER BY CASE WHEN identity LIKE 'Service:%' THEN 0 WHEN identity LIKE 'Site:%' THEN 1 ELSE 2 END LIMIT 1`,
    [identityString({ kind: 'service', pool: pool.fqdn }), identityString({ kind: 'site', site: pool.site })],
  );
  return row ? toStored(row.identity, row.document) : { Identity: 'Global', ...PRODUCT_DEFAULTS };
}
