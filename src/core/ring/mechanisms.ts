// The ring method's multi-failure mechanisms can be switched off one by one, to measure what each
// buys (an ablation) and to prove that the invariant checkers catch a design without it.

/** RingMechanism names a mechanism of Sec. 4 that a run may switch off. */
export type RingMechanism = 'automaticConnectionSelection' | 'dualMonitoring' | 'takeOver';

export const RING_MECHANISMS: readonly RingMechanism[] = ['automaticConnectionSelection', 'dualMonitoring', 'takeOver'];
