// A series as JSON columns built by PostgreSQL as text: `{"t":[…],"cpu":[…]}`, one array per column over one shared
// order, so no sample becomes an object in Node. Each array is its values' text joined by string_agg: a third of
// what array_agg with array_to_json cost, and every column shares one sort of the rows (issue 18).

/** A number (or any value whose text is already JSON) as JSON text; null as `null` (string_agg skips nulls). */
export const jsonNumberSql = (expr: string) => `coalesce(${expr}::text, 'null')`;

/**
 * SQL of the object's text for an aggregate query: `columns` are [name, SQL expression giving the value's JSON
 * text], `order` what every array is ordered by (an `order by` list, without the words).
 */
export const jsonColumnsSql = (columns: Array<[name: string, json: string]>, order: string) =>
  `${columns
    .map(
      ([name, json], i) =>
        `'${i === 0 ? '{' : ','}"${name}":[' || coalesce(string_agg(${json}, ',' order by ${order}), '') || ']'`,
    )
    .join(' || ')} || '}'`;
