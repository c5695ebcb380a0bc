# ctoffload: Linux connection tracking offload, in userspace.
#
#   make            build the daemon, the client and the shim into build/
#   make check      unit tests and selftests, plain and under ASan+UBSan;
#                   the concurrency tests under TSan
#   make tsan       the concurrency tests under ThreadSanitizer (build/tsan)
#   make demo       the main demo (needs root: namespaces and TAPs)
#   make fuzz       run the fuzz targets for a while (FUZZ_SECONDS each)
#   make bench      the benchmark suite
#   make deps       install the Debian packages the project needs

O ?= build
SAN ?=
CC ?= gcc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
CPPFLAGS := -Iinclude -D_GNU_SOURCE -D_LGPL_SOURCE
LIBS := -lxxhash -lmnl -lpcap -lurcu-memb -lurcu-cds -lurcu-common -lpthread
ifeq ($(SAN),1)
CFLAGS += -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
O := build/asan
endif
# ThreadSanitizer: liburcu is annotated for it in linux/rcupdate.h
ifeq ($(SAN),thread)
CFLAGS += -O1 -g -fsanitize=thread -fno-omit-frame-pointer
O := build/tsan
endif

CORE_SRCS := $(wildcard lib/*.c kernel/*.c net/core/*.c net/ethernet/*.c net/sched/*.c net/netfilter/*.c net/ipv4/*.c net/ipv6/*.c drivers/net/*.c drivers/net/vxlan/*.c \
	       drivers/net/ethernet/mellanox/mlx5/core/*.c drivers/net/ethernet/mellanox/mlx5/core/en/*.c \
	       drivers/net/ethernet/mellanox/mlx5/core/lib/*.c)
CORE_OBJS := $(CORE_SRCS:%.c=$(O)/%.o)
DEPS := $(CORE_OBJS:.o=.d)

UNIT_TESTS := $(patsubst tools/testing/unit/%.c,$(O)/tests/%,$(wildcard tools/testing/unit/*.c))
BINS := $(O)/ctoffloadd $(O)/ctoffload $(O)/libctoffload-nlshim.so $(O)/ctbench

all: $(BINS)

$(O)/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(O)/ctoffloadd: $(O)/tools/ctoffloadd/ctoffloadd.o $(CORE_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(O)/ctbench: $(O)/tools/bench/ctbench.o $(CORE_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

CTOFFLOAD_OBJS := $(patsubst %.c,$(O)/%.o,$(wildcard tools/ctoffload/*.c))
$(O)/ctoffload: $(CTOFFLOAD_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ -lmnl -lpcap -ljansson

$(O)/libctoffload-nlshim.so: tools/lib/nlshim.c include/uapi/ctoffload/nlshim.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -pthread -fPIC -shared -o $@ $< -ldl

# unit tests: each links the core objects it needs (all of them: simple)
$(O)/tests/test_nlshim: tools/testing/unit/test_nlshim.c $(O)/libctoffload-nlshim.so
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -pthread -o $@ $< -lcmocka -ldl

# the client's tests link the client's own objects (no daemon, no main)
CTOFFLOAD_TEST_OBJS := $(addprefix $(O)/tools/ctoffload/,pktbuild.o render.o)
$(O)/tests/test_ctoffload_%: tools/testing/unit/test_ctoffload_%.c $(CTOFFLOAD_TEST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itools/ctoffload $(CFLAGS) $(WARN) -o $@ $^ -lcmocka -lpcap -ljansson

$(O)/tests/test_%: tools/testing/unit/test_%.c $(wildcard tools/testing/unit/*.h) $(CORE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $(filter-out %.h,$^) -lcmocka $(LIBS)

unit: $(UNIT_TESTS)

# the tests of concurrency, and the core objects they link, under TSan
TSAN_TESTS := $(O)/tests/test_dp_concurrent
ifeq ($(SAN),thread)
tsan: $(TSAN_TESTS)
else
tsan:
	$(MAKE) SAN=thread tsan
endif

check: deps
	$(MAKE) all unit
	$(MAKE) SAN=1 all unit
	$(MAKE) SAN=thread tsan
	$(MAKE) fuzz-build
	tools/testing/run_tests.sh build build/asan

demo: deps all
	tools/testing/selftests/ctoffload/demo.sh

FUZZ_SECONDS ?= 60
FUZZ_TARGETS := $(patsubst tools/testing/fuzz/%.c,build/fuzz/%,$(wildcard tools/testing/fuzz/fuzz_*.c))
build/fuzz/fuzz_%: tools/testing/fuzz/fuzz_%.c $(CORE_SRCS)
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -o $@ $^ $(LIBS)

fuzz-build: $(FUZZ_TARGETS)

fuzz: $(FUZZ_TARGETS)
	tools/testing/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

bench: all
	tools/bench/run.sh

deps:
	tools/install-deps.sh

clean:
	rm -rf build

.PHONY: all unit tsan check demo fuzz fuzz-build bench deps clean
-include $(DEPS)
