// consumer.cpp: the public headers used from C++ (their extern "C" guards):
// every header of include/ckp/ compiles as C++ and links against libckp.
#include <ckp/check.h>
#include <ckp/diag.h>
#include <ckp/export.h>
#include <ckp/load.h>
#include <ckp/mip.h>
#include <ckp/model.h>
#include <ckp/plan.h>
#include <ckp/report.h>
#include <ckp/result.h>
#include <ckp/solve.h>
#include <ckp/status.h>
#include <ckp/version.h>

#include <cstdio>
#include <cstring>

int main()
{
    if (std::strcmp(ckp_version(), CKP_VERSION_STRING) != 0) return 1;
    std::printf("chokepoint %s from C++: %s\n", ckp_version(), ckp_status_str(CKP_OK));
    return 0;
}
