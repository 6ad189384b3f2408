// The environment the server process is started with by the editors we ship for (the VS Code
// client; the bench and the LSP tests start it the same way): what only the process's start can set.

/**
 * glibc's malloc, tuned where the process starts (it reads these variables once, as mallopt() would
 * set them; other C libraries ignore them):
 * - MALLOC_ARENA_MAX: each thread that allocates gets an arena of its own (up to eight per core),
 *   and memory freed in one is kept for that thread. The server has two JavaScript threads
 *   (requests, the analysis worker) and V8's helper threads beside them: with two arenas, its peak
 *   memory on the bench's 4 MB configuration was about 30 MB lower (287 against 317 MB).
 * - MALLOC_MMAP_THRESHOLD_: a buffer of a large document's size (the 4 MB message that opens it, a
 *   text sent to the worker) is mapped for itself and unmapped when freed; left to glibc, the first
 *   such free raises the threshold to its size (and the trim threshold to twice that), so that every
 *   later one is carved from an arena and kept there once freed. Fixed at glibc's default of 128 KB,
 *   the peak after 10 edits of that file was 265-270 MB instead of 282-284 (with two arenas), its
 *   timings the same.
 */
export const SERVER_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
