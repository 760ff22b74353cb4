import type { Claim } from './claim.ts';
import { claim1 } from './c01-finite-range.ts';
import { claim2 } from './c02-hessian-structure.ts';
import { claim3 } from './c03-stability-bound.ts';
import { claim4 } from './c04-jump.ts';
import { claim5 } from './c05-overparametrized.ts';
import { claim6 } from './c06-location.ts';
import { claim7 } from './c07-sharpness.ts';
import { claim8 } from './c08-spectrum.ts';
import { claim9 } from './c09-gaps.ts';
import { claim10 } from './c10-generalization.ts';
import { claim11 } from './c11-beyond-jamming.ts';

/** Claims 1 to 11 of SCIENCE.md, in order. */
export const CLAIMS: readonly Claim[] = [claim1, claim2, claim3, claim4, claim5, claim6, claim7, claim8, claim9, claim10, claim11];
