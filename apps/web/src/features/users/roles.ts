export const roleOptions = [
  { value: 'admin', label: 'Admin', hint: 'Everything in this organisation, including users and API keys' },
  { value: 'operator', label: 'Operator', hint: 'Manages devices; cannot manage users' },
  { value: 'viewer', label: 'Viewer', hint: 'Read-only' },
];
