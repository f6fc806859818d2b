# Toolchain file: cross-compile kiosk for 64-bit Raspberry Pi OS / Debian arm64
# (Pi 3, 4, 5, Zero 2 W running the 64-bit image) on a Debian 12 amd64 host.
#
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
#
# Host packages (Debian 12, multiarch; .ci/cross-arm64.sh installs them):
#   dpkg --add-architecture arm64 && apt-get update
#   apt-get install crossbuild-essential-arm64 qemu-user \
#     libsdl2-dev:arm64 libsdl2-ttf-dev:arm64 libsdl2-image-dev:arm64 libyaml-dev:arm64
#
# Libraries and .pc files come from Debian's multiarch arm64 packages, which
# live in /usr/lib/aarch64-linux-gnu next to the host's own; the C library of
# the cross compiler lives in /usr/aarch64-linux-gnu.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(KIOSK_CROSS_TRIPLET aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${KIOSK_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${KIOSK_CROSS_TRIPLET}-g++)
# Used by CMake to search <root>/usr/lib/aarch64-linux-gnu first; the
# compiler would report it too, but saying it keeps find_* right before the
# compiler has been tried.
set(CMAKE_LIBRARY_ARCHITECTURE ${KIOSK_CROSS_TRIPLET})

# Search the cross root, then "/" (multiarch: /usr/lib/aarch64-linux-gnu,
# /usr/include), never the host's programs-as-libraries. With
# CMAKE_LIBRARY_ARCHITECTURE set, CMake looks in lib/aarch64-linux-gnu before
# lib/, and Debian puts no amd64 libraries in plain /usr/lib, so an amd64
# library cannot be picked up by mistake.
set(CMAKE_FIND_ROOT_PATH /usr/${KIOSK_CROSS_TRIPLET} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)   # build tools run on the host
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config must answer for arm64: only the arm64 .pc files (and the
# architecture-independent ones), never the host's. pkgconf:arm64 installs an
# aarch64-linux-gnu-pkg-config with exactly that search path; the environment
# below gives plain pkg-config the same answer when that wrapper is absent.
# (The toolchain file is read again on every configure, so this holds for
# re-runs of cmake from the build tool too.)
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${KIOSK_CROSS_TRIPLET}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
unset(ENV{PKG_CONFIG_SYSROOT_DIR})
find_program(KIOSK_CROSS_PKG_CONFIG ${KIOSK_CROSS_TRIPLET}-pkg-config)
if(KIOSK_CROSS_PKG_CONFIG)
  set(PKG_CONFIG_EXECUTABLE ${KIOSK_CROSS_PKG_CONFIG} CACHE FILEPATH "pkg-config for arm64")
endif()

# ctest (and anything else CMake runs from the build tree) starts arm64
# executables through qemu-user, so tests run here without binfmt_misc being
# registered (it usually is not in containers and CI).
#
# Which -L: the arm64 libraries installed through multiarch include
# libc6:arm64, which ships the loader at its native path
# /lib/ld-linux-aarch64.so.1 and libc in /lib/aarch64-linux-gnu, matching the
# SDL and libyaml arm64 packages. "-L /" therefore makes qemu use exactly the
# loader and libc a Pi would use. qemu falls back from <prefix>/path to /path
# for every file it cannot find under the prefix, so this also works if a
# binary links only the cross libc (/usr/aarch64-linux-gnu); on a host with no
# multiarch libc6:arm64 at all, set KIOSK_QEMU_LD_PREFIX=/usr/aarch64-linux-gnu.
if(NOT DEFINED KIOSK_QEMU_LD_PREFIX)
  if(EXISTS /lib/ld-linux-aarch64.so.1)
    set(KIOSK_QEMU_LD_PREFIX /)
  else()
    set(KIOSK_QEMU_LD_PREFIX /usr/${KIOSK_CROSS_TRIPLET})
  endif()
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L ${KIOSK_QEMU_LD_PREFIX})

