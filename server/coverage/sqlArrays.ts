/**
 * Arrays travel to SQL as one text parameter in array-literal form ('{1,2,3}')
 * and are cast there (${intArray(ids)}::int[]): one bind parameter however long
 * the list, and no values spliced into the SQL text.
 */
export const intArray = (values: readonly number[]) => `{${values.map((v) => Math.trunc(v)).join(',')}}`;

/** JS number → shortest round-tripping decimal, which float8 parses back to the same double. */
export const floatArray = (values: readonly number[]) => `{${values.map((v) => (Number.isFinite(v) ? String(v) : 'NULL')).join(',')}}`;
