/** Decodes a PNG (a screenshot) on a canvas and describes it in numbers, for tests that check a picture. */

import type { ImageStats } from '../imageStats.js'

const rgb = (hex: string): readonly [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as readonly [number, number, number]

export const imageStats = async (base64: string, colors: Readonly<Record<string, string>>): Promise<ImageStats> => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
  const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }))
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
  const context = canvas.getContext('2d')
  if (context === null) throw new Error('no 2d canvas')
  context.drawImage(bitmap, 0, 0)
  const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height)
  const wanted = Object.entries(colors).map(([name, hex]) => [name, rgb(hex)] as const)
  const counts = new Map<string, number>(wanted.map(([name]) => [name, 0]))
  const distinct = new Set<number>()
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0]
    distinct.add((r << 16) | (g << 8) | b)
    for (const [name, [wr, wg, wb]] of wanted) if (Math.abs(r - wr) + Math.abs(g - wg) + Math.abs(b - wb) <= 12) counts.set(name, (counts.get(name) ?? 0) + 1)
  }
  const pixels = bitmap.width * bitmap.height
  return { width: bitmap.width, height: bitmap.height, distinctColors: distinct.size, shares: Object.fromEntries([...counts].map(([name, n]) => [name, n / pixels])) }
}
