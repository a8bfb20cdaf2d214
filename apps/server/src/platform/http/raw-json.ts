// Routes whose JSON is built elsewhere (by PostgreSQL, for series and big lists) send it as it is: parsing rows into
// objects only to stringify them again was most of such a request's cost. The handler returns `new RawJson(text)`;
// anything else still goes through JSON.stringify (no per-row schema check: these routes select explicit columns).

export class RawJson {
  constructor(readonly text: string) {}
}

/** The route's serializerCompiler. */
export const rawJsonSerializer = () => (data: unknown) => (data instanceof RawJson ? data.text : JSON.stringify(data));

/** JSON text typed as the response it encodes, for handlers whose return type the route's schema fixes. */
export const rawJson = <T>(text: string): T => new RawJson(text) as unknown as T;
