// Routes whose JSON is built elsewhere (by PostgreSQL, for series and big lists) send it as it is: parsing rows into
// objects only to stringify them again was most of such a request's cost. The handler returns `new RawJson(text)`;
// anything else still goes through JSON.stringify (no per-row schema check: these routes select explicit columns).

export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * The route's serializerCompiler. The text leaves as bytes encoded once: given a string, Fastify measures its UTF-8
 * length and the socket encodes it again, which was a fifth of a 400 KB series response's cost in Node.
 */
export const rawJsonSerializer = () => (data: unknown) =>
  data instanceof RawJson ? (Buffer.from(data.text) as unknown as string) : JSON.stringify(data);

/** JSON text typed as the response it encodes, for handlers whose return type the route's schema fixes. */
export const rawJson = <T>(text: string): T => new RawJson(text) as unknown as T;
