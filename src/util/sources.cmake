ckp_module(util util/alloc.c util/status.c util/diag.c util/sha256.c util/atomic.c
           util/version.c util/json_read.c util/clock.c)
