// What a site rule can watch: figures over all the devices of a site or a sector, read from the database by the
// site evaluation (site-values.repo.ts) rather than from one poll result. A scope without the data (no devices, no
// clients, none an hour ago) gives no value: the rule's state is left as it was.

export type SiteMetricDef = { label: string; unit: string | null };

export const siteMetrics = {
  site_offline_pct: { label: 'Devices offline (share of the site or sector)', unit: '%' },
  site_offline_count: { label: 'Devices offline (number)', unit: null },
  sector_avg_signal: { label: 'Average client signal', unit: 'dBm' },
  site_client_drop_pct: { label: 'Wireless clients dropped (against an hour ago)', unit: '%' },
} as const satisfies Record<string, SiteMetricDef>;

export type SiteMetric = keyof typeof siteMetrics;
export const siteMetricNames = Object.keys(siteMetrics) as [SiteMetric, ...SiteMetric[]];

export const isSiteMetric = (metric: string): metric is SiteMetric => Object.hasOwn(siteMetrics, metric);

/** The scopes a site rule may have. */
export const siteScopeKinds = ['site', 'sector'] as const;
export type SiteScopeKind = (typeof siteScopeKinds)[number];
