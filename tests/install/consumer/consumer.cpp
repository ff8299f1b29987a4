// consumer.cpp: the public headers used from C++ (their extern "C" guards):
// every installed header of include/ckp/ compiles as C++, and the program
// links against libckp and calls it (without the guards, the calls would
// name C++-mangled symbols and not link).
#include "ckp_all.h" // every installed public header (install_consumer.sh)

#include <cstdio>
#include <cstring>

int main()
{
    if (std::strcmp(ckp_version(), CKP_VERSION_STRING) != 0) return 1;
    std::printf("chokepoint %s from C++: %s\n", ckp_version(), ckp_status_str(CKP_OK));
    return 0;
}
