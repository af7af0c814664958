/** Colors of the charts: each at least 4.5:1 on white, and told apart by label, not color alone. */
export const COLORS = { success: '#15803d', failure: '#b91c1c', ips: '#1d4ed8' };
