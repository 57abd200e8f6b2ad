/** Colours and figures of the patrol-tracks layer: one colour per worker, stable across reloads (by user id). */
const PALETTE: [number, number, number][] = [
  [214, 39, 40],
  [31, 119, 180],
  [44, 160, 44],
  [255, 127, 14],
  [148, 103, 189],
  [23, 190, 207],
  [188, 189, 34],
  [227, 119, 194],
  [140, 86, 75],
  [127, 127, 127],
];

export const workerColour = (userId: number): [number, number, number] => PALETTE[Math.abs(userId) % PALETTE.length] as [number, number, number];

export const cssColour = (c: [number, number, number]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

/** 5400 s → "1.5 小时"; 1234 m → "1.2 公里". */
export const hoursText = (seconds: number) => `${(seconds / 3600).toFixed(1)} 小时`;
export const kmText = (metres: number) => `${(metres / 1000).toFixed(1)} 公里`;
