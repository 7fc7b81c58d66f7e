/**
 * Colour-blind-safe colours (Okabe & Ito 2008), ordered so that the first few stay distinct for every
 * common colour-vision deficiency and readable on white. Yellow comes last: it is too pale for lines.
 */
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];

/** The site's colour for VCSE spending (a darker Okabe-Ito bluish green, 4.9:1 on white). */
export const VCSE = "#00785a";
/** All spending, or a comparison, beside VCSE. */
export const OTHER = "#8a8f98";
/** Cuts and rises, as used in tables: blue-orange, not red-green. */
export const FALL = "#D55E00";
export const RISE = "#0072B2";

/** Sequential scheme for heatmaps (perceptually uniform, colour-blind safe). */
export const SEQUENTIAL = "viridis";
