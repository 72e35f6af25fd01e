import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring in this process. V8 watches where objects are allocated, and
 * once most objects of one site outlive a young-generation collection it allocates that site's objects in
 * the old generation from then on. The service's hot paths allocate per event and per request: a site
 * switched over during a burst (a rebuild's first pages while the service starts) keeps sending short-lived
 * objects to the old generation, which fills with garbage between major collections. Measured over a
 * 1,000,000-event rebuild: peak RSS 305 to 314 MB in runs where that happened, 174 to 181 MB with
 * pretenuring off, at the same rate (BENCHMARKS.md, round 5).
 */
export function turnOffPretenuring(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
