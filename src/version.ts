/** Version of symgen, written into provenance and printed by `symgen --version`. */
export const SYMGEN_VERSION = '0.1.0';
