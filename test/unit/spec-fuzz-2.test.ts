import { fuzzPart } from '../helpers/spec-fuzz-part.js';

// Part 2 of the spec fuzz test: see test/helpers/spec-fuzz-part.ts.
fuzzPart(2);
