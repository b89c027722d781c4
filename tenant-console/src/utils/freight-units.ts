/**
 * Freight units as merchants type them and as the server counts them: pieces as they are, weight in kg (3 decimals) for
 * whole grams, volume in m³ (6 decimals) for whole cm³ (what Youzan's and Taobao's editors show). Pure, so that a unit
 * test can run it.
 */
import type { ChargeMode } from '@shopfleet/contracts/constants';

/** Server units in one unit shown: 1 piece, 1 000 g in a kg, 1 000 000 cm³ in a m³. */
export const UNIT_SCALE: Record<ChargeMode, number> = { piece: 1, weight: 1000, volume: 1_000_000 };

/** Decimals of a value shown: whole pieces, grams as kg to 3, cm³ as m³ to 6. */
export const UNIT_PRECISION: Record<ChargeMode, number> = { piece: 0, weight: 3, volume: 6 };

/** A value as typed (kg, m³, pieces) in the server's whole units (g, cm³, pieces); null stays null. */
export function toServerUnits(mode: ChargeMode, shown: number | null | undefined): number | null {
  if (shown === null || shown === undefined || !Number.isFinite(shown)) return null;
  return Math.round(shown * UNIT_SCALE[mode]);
}

/** The server's whole units as shown (kg, m³, pieces), exact to the precision shown. */
export function fromServerUnits(mode: ChargeMode, units: number): number {
  return Number((units / UNIT_SCALE[mode]).toFixed(UNIT_PRECISION[mode]));
}
