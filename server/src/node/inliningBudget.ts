// How much V8's optimizing compiler inlines. The first analysis of a large configuration runs
// mostly before its hot functions are optimized: V8 compiles them on background threads, and with
// its default budget (920 bytes of callees' bytecode inlined into each function) it spent 3.5 to
// 4.8 s of CPU compiling about 240 functions during a 2.5 to 3 s analysis of the bench's 4.4 MB
// file, which ran unoptimized meanwhile. With 300 the compilations took half that time, and the
// first analysis was 15 to 20 % faster (interleaved runs' medians: 3.2 -> 2.6 s plain, 3.3 -> 2.9 s
// with TLS; on a faster machine the server's open of that file 0.89 -> 0.81 s plain, 0.91 -> 0.82 s
// with TLS); analyses of edits, which run optimized code, were no slower. The flag is the process's:
// set before a worker starts, it holds for the worker's compilations too.

import { setFlagsFromString } from 'node:v8';

const INLINED_BYTECODE_BUDGET = 300;

export function limitInlining(): void {
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINED_BYTECODE_BUDGET}`);
}
