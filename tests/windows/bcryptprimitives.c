/* bcryptprimitives.dll for the Wine releases that lack it (Debian 12's Wine 8.0): the Rust
 * standard library imports ProcessPrng from it for randomness, so without it no Rust program
 * for Windows starts under that Wine. Built with mingw-w64 next to the executables under test,
 * it forwards to advapi32's RtlGenRandom (SystemFunction036), which Wine has. Newer Wine
 * releases ship the DLL; Windows always has it. Test-only: never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x7fffffff ? 0x7fffffff : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
