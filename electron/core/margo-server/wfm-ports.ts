/** The WFM's port unless another is given: 443 needs privileges a laptop user does not have. */
export const DEFAULT_WFM_PORT = 8443;
/** The Trust Bundle API's port (no client authentication). */
export const DEFAULT_TRUST_PORT = 8444;
