/**
 * Each network's calendar day (YYYY-MM-DD) at one instant, by network code (ReferenceService.networkDays): the
 * « today » of its facilitators, which their absences are counted in.
 */
export type NetworkDays = Readonly<Record<string, string>>;

/** SQL: facilitator `f`'s « today », read from the NetworkDays passed as the (jsonb) parameter `param`. */
export const facilitatorToday = (param: string) => `(${param}::jsonb ->> f.network_code)::date`;
