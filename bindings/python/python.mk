# SPDX-License-Identifier: GPL-2.0-only
#
# bindings/python: the kipc package, a C extension (_kipc) over libkipc and
# libkipc-admin plus the Python modules, laid out in $(B)/python/kipc as it
# is installed. Built for Debian's /usr/bin/python3 when its headers are
# there (python3-dev); not for ARCH=arm64 (no arm64 Python on the host).
PYTHON := /usr/bin/python3
PY_INC := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null)
PY_EXT := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))' 2>/dev/null)
PY_VER := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
# Where Debian's python3 looks: /usr/lib/python3/dist-packages for the
# distribution's packages, /usr/local/lib/python3.X/dist-packages for the
# local administrator's.
PYTHON_SITEDIR ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/python3/dist-packages,$(PREFIX)/lib/python$(PY_VER)/dist-packages)
PY_SRCS := $(wildcard bindings/python/kipc/*.py)
PY_OUT := $(B)/python/kipc
PY_MOD := $(PY_OUT)/_kipc$(PY_EXT)

ifneq ($(and $(PY_EXT),$(wildcard $(PY_INC)/Python.h)),)
ifneq ($(ARCH),arm64)
PY_TARGETS := $(PY_MOD) $(patsubst bindings/python/kipc/%,$(PY_OUT)/%,$(PY_SRCS))
endif
endif

.PHONY: python install-python uninstall-python
python: $(PY_TARGETS)

$(PY_MOD): bindings/python/kipc/_kipc.c $(B)/lib/libkipc.so $(B)/lib/libkipc-admin.so
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I$(PY_INC) $(CFLAGS) $(WARNFLAGS) -Wno-unused-parameter -fPIC -shared \
		-fvisibility=hidden $(DEPFLAGS) -MF $@.d $(LDFLAGS) -o $@ $< \
		-L$(B)/lib -lkipc -lkipc-admin

$(PY_OUT)/%.py: bindings/python/kipc/%.py
	@mkdir -p $(@D)
	cp $< $@

install-python: python
	$(if $(PY_TARGETS),install -d $(DESTDIR)$(PYTHON_SITEDIR)/kipc && \
		install -m 0644 $(PY_SRCS) $(DESTDIR)$(PYTHON_SITEDIR)/kipc/ && \
		install -m 0644 $(PY_MOD) $(DESTDIR)$(PYTHON_SITEDIR)/kipc/, \
		@echo "# install-python: no python3-dev: the Python package is not built")

uninstall-python:
	rm -rf $(DESTDIR)$(PYTHON_SITEDIR)/kipc

-include $(PY_MOD).d
