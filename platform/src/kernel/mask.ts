/** Shows a mainland mobile number as its first three and last four digits (138****5678). */
export function maskPhone(phone: string | null): string | null {
  return phone ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : null;
}
