import { parseYuanToFen } from './money';

/** Where the distribution pages live (the centre and its lists). */
export const DISTRIBUTION_CENTRE_PAGE = '/pages/distribution/centre';

export function openDistributionCentre(): void {
  uni.navigateTo({ url: DISTRIBUTION_CENTRE_PAGE });
}

export function openDistributionTeam(): void {
  uni.navigateTo({ url: '/pages/distribution/team' });
}

export function openDistributionCommissions(): void {
  uni.navigateTo({ url: '/pages/distribution/commissions' });
}

export function openDistributionWithdrawals(): void {
  uni.navigateTo({ url: '/pages/distribution/withdrawals' });
}

/** Why a withdrawal's amount cannot be asked for, before asking the server (which checks again, by its reasons). */
export type WithdrawProblem = 'invalid' | 'belowMin' | 'tooMuch';

/** The amount typed in yuan as fen, or why it cannot be withdrawn: not an amount, below the minimum, above what is available. */
export function checkWithdrawAmount(
  input: string,
  limits: { minFen: number; availableFen: number },
): { fen: number } | { problem: WithdrawProblem } {
  const fen = parseYuanToFen(input);
  if (fen === undefined || fen === null || fen <= 0) return { problem: 'invalid' };
  if (fen < limits.minFen) return { problem: 'belowMin' };
  if (fen > limits.availableFen) return { problem: 'tooMuch' };
  return { fen };
}

/** The whole available balance as the amount field shows it (1234 → "12.34"). */
export function fenAsYuanInput(fen: number): string {
  return (fen / 100).toFixed(2);
}
