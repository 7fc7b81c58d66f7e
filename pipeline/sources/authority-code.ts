/**
 * The GSS codes of English authorities bound by the Transparency Code: E06 unitary authorities, E07 districts,
 * E08 metropolitan districts, E09 London boroughs, E10 counties, E47 combined authorities and E61 the Greater
 * London Authority. data/source.schema.json repeats this pattern (a test holds them equal).
 */
export const AUTHORITY_CODE = /^E(?:0[6-9]|10|47|61)[0-9]{6}$/;
