// The environment the server process is started with by the editors we ship for (the VS Code
// client; the bench and the LSP tests start it the same way): what only the process's start can set.

/**
 * glibc's malloc gives each thread that allocates an arena of its own (up to eight per core), and
 * memory freed in one is kept for that thread. The server has two JavaScript threads (requests, the
 * analysis worker) and V8's helper threads beside them: with two arenas, its peak memory on the
 * bench's 4 MB configuration was about 30 MB lower (287 against 317 MB), its timings the same. glibc
 * reads the variable when the process starts (mallopt(M_ARENA_MAX)); other C libraries ignore it.
 */
export const SERVER_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
