// `/devices/new?host=&name=`: the add-device form starts filled in (Adopt on the topology: a neighbour's address and
// identity). Its own module, so the route tree does not pull the form into the first page's code.

export type AddDeviceSearch = { host?: string; name?: string };

export const addDeviceSearch = (s: Record<string, unknown>): AddDeviceSearch => ({
  ...(typeof s.host === 'string' && s.host ? { host: s.host } : {}),
  ...(typeof s.name === 'string' && s.name ? { name: s.name } : {}),
});
