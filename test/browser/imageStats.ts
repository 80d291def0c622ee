/** What the harness learns from a picture (test/browser/pages/image.ts decodes it in the browser). */

/**
 * A picture in numbers: its size, how many distinct colours it has (1 for a blank one), and for each
 * named colour (`#rrggbb`) the share of its pixels within a small tolerance of it.
 */
export interface ImageStats {
  readonly width: number
  readonly height: number
  readonly distinctColors: number
  readonly shares: Readonly<Record<string, number>>
}
