// The random-access functions as one module: what the ESM browser bundle
// builds into age-rt-random.js, fetched the first time openRandomAccess or
// rangeSource is called (lazy.ts), or imported statically where import() is
// not allowed (Service Workers): either way it hands itself to age-rt.js.
import { _provideRandomAccess } from "./lazy.js";
import { openRandomAccess } from "./open.js";
import { rangeSource } from "./range-source.js";

export { openRandomAccess, rangeSource };
_provideRandomAccess({ openRandomAccess, rangeSource });
