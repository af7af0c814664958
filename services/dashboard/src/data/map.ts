/** The world map's drawing: its size (the SVG's viewBox) and one shape per country. */
export const MAP_WIDTH = 960;
export const MAP_HEIGHT = 440;

export interface MapShape {
  /** ISO 3166-1 alpha-2, as the aggregator records countries; null for shapes without one. */
  alpha2: string | null;
  name: string;
  /** The SVG path, already projected. */
  d: string;
}
