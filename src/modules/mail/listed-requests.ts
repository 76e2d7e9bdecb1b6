/**
 * A grouped survey e-mail names no request of its own (`request_id` is null): its context's `entries` list them, each with
 * its `requestId`, which is all a sent one keeps of each. Whatever reads or trims that list does it through here: it is
 * the mail table's, so the mail module keeps it (the surveys module only writes it, as any sender its context).
 */

/** The requests a message's context lists; null when it lists none (not a grouped one). */
export function listedRequestIds(context: Record<string, unknown> | null): string[] | null {
  const entries = context?.entries;
  return Array.isArray(entries) ? entries.map((entry: { requestId: string }) => entry.requestId) : null;
}

/** SQL: the requests a context (a jsonb expression) lists, in its order, as a uuid[] (empty when it lists none). */
export function listedRequestsSql(context: string): string {
  return `ARRAY(SELECT (e->>'requestId')::uuid FROM jsonb_array_elements(${context}->'entries') WITH ORDINALITY AS x(e, i) ORDER BY i)`;
}

/** SQL: the context of a sent one, listing these requests (a uuid[] expression) by their ids alone. */
export function sentListSql(requestIds: string): string {
  return `jsonb_build_object('entries', COALESCE((SELECT jsonb_agg(jsonb_build_object('requestId', id) ORDER BY i)
                                                 FROM unnest(${requestIds}) WITH ORDINALITY AS l(id, i)), '[]'::jsonb))`;
}

/** SQL: the context without the entries of these requests (a uuid[] expression); it must list others. */
export function listWithoutSql(context: string, requestIds: string): string {
  return `jsonb_set(${context}, '{entries}', (
            SELECT jsonb_agg(e ORDER BY i) FROM jsonb_array_elements(${context}->'entries') WITH ORDINALITY AS x(e, i)
             WHERE NOT (e->>'requestId')::uuid = ANY(${requestIds})))`;
}
