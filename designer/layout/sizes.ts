// Node sizes for layout and centring, before React Flow has measured a node.
export interface Size { width: number; height: number }
export const DEFAULT_SIZE: Size = { width: 220, height: 110 };
