# Installs the files that make kiosk start at power-on and restart on crash,
# and configures CPack to build kiosk_<version>_<arch>.deb. Included from the
# top-level CMakeLists.txt; docs/raspberry-pi.md says how a person uses it.
#
# Install layout (prefix /usr, as for the .deb):
#   /usr/bin/kiosk-session                      desktop-session wrapper
#   /usr/lib/systemd/system/kiosk.service       systemd unit (not enabled)
#   /usr/lib/systemd/system/kiosk-usb-*         USB stick mount/unmount units
#   /usr/lib/udev/rules.d/90-kiosk-usb.rules    starts kiosk-usb-mount@ for a stick
#   /usr/libexec/kiosk/kiosk-usb                the root-side mount helper
#   /usr/share/kiosk/packaging/kiosk.desktop    XDG autostart entry (not active)
#   /usr/share/kiosk/packaging/kiosk.yaml       template of /etc/kiosk/kiosk.yaml
#   /usr/share/doc/kiosk/raspberry-pi.md        the set-up guide
#
# Nothing is installed under /etc. The two ways to start at power-on are
# both opt-in, one command each, because one package serves Raspberry Pi OS
# Lite (the systemd unit) and Desktop (the autostart entry) and installing it
# must not take the screen by itself: the autostart entry is copied to
# ~/.config/autostart (or /etc/xdg/autostart) by whoever wants it, and the
# unit enabled with systemctl. /etc/kiosk/kiosk.yaml is created by the
# postinst from the template, only when missing, so a staff-edited file is
# never overwritten and no conffile handling is needed.

set(KIOSK_PACKAGING_SOURCE_DIR ${PROJECT_SOURCE_DIR}/packaging)
set(KIOSK_PACKAGING_BINARY_DIR ${PROJECT_BINARY_DIR}/packaging)

# systemd reads units from /usr/lib/systemd/system and from
# /usr/local/lib/systemd/system, so <prefix>/lib/systemd/system suits both
# a packaged (/usr) and a hand-made (/usr/local) install. Not
# CMAKE_INSTALL_LIBDIR, which is lib/<multiarch> on Debian.
set(KIOSK_SYSTEMD_UNIT_DIR "lib/systemd/system" CACHE STRING
  "Where kiosk.service is installed, relative to CMAKE_INSTALL_PREFIX or absolute")

# The files in packaging/ name /usr/bin/kiosk and /usr/bin/kiosk-session, the
# packaged paths. For another prefix, install copies naming the real ones.
# (configure_file(COPYONLY) rewrites the copy only when it changes.)
function(kiosk_packaging_file src dest_var)
  set(in ${KIOSK_PACKAGING_SOURCE_DIR}/${src})
  set(out ${KIOSK_PACKAGING_BINARY_DIR}/${src})
  file(READ ${in} text)
  string(REPLACE "/usr/bin/kiosk" "${CMAKE_INSTALL_FULL_BINDIR}/kiosk" text "${text}")
  string(REPLACE "/usr/libexec/kiosk" "${CMAKE_INSTALL_FULL_LIBEXECDIR}/kiosk" text "${text}")
  string(REPLACE "/usr/share/doc/kiosk" "${CMAKE_INSTALL_FULL_DOCDIR}" text "${text}")
  string(REPLACE "/usr/share/kiosk" "${CMAKE_INSTALL_FULL_DATADIR}/kiosk" text "${text}")
  file(WRITE ${out}.tmp "${text}")
  configure_file(${out}.tmp ${out} COPYONLY)
  file(REMOVE ${out}.tmp)
  set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${in})
  set(${dest_var} ${out} PARENT_SCOPE)
endfunction()

kiosk_packaging_file(systemd/kiosk.service KIOSK_UNIT_FILE)
kiosk_packaging_file(systemd/kiosk-usb-mount@.service KIOSK_USB_MOUNT_UNIT)
kiosk_packaging_file(systemd/kiosk-usb-eject.path KIOSK_USB_EJECT_PATH)
kiosk_packaging_file(systemd/kiosk-usb-eject.service KIOSK_USB_EJECT_UNIT)
kiosk_packaging_file(xdg/kiosk.desktop KIOSK_DESKTOP_FILE)

install(PROGRAMS ${KIOSK_PACKAGING_SOURCE_DIR}/kiosk-session
  DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${KIOSK_UNIT_FILE} ${KIOSK_USB_MOUNT_UNIT} ${KIOSK_USB_EJECT_PATH}
  ${KIOSK_USB_EJECT_UNIT}
  DESTINATION ${KIOSK_SYSTEMD_UNIT_DIR})
# USB sticks on Raspberry Pi OS Lite: a udev rule starts kiosk-usb-mount@,
# which runs kiosk-usb (root) to mount the stick for the kiosk user only.
# udev rereads its rules when they change; nothing to enable.
set(KIOSK_UDEV_RULES_DIR "lib/udev/rules.d" CACHE STRING
  "Where 90-kiosk-usb.rules is installed, relative to CMAKE_INSTALL_PREFIX or absolute")
install(FILES ${KIOSK_PACKAGING_SOURCE_DIR}/udev/90-kiosk-usb.rules
  DESTINATION ${KIOSK_UDEV_RULES_DIR})
install(PROGRAMS ${KIOSK_PACKAGING_SOURCE_DIR}/libexec/kiosk-usb
  DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/kiosk)
install(FILES ${KIOSK_DESKTOP_FILE} ${KIOSK_PACKAGING_SOURCE_DIR}/kiosk.yaml
  DESTINATION ${CMAKE_INSTALL_DATADIR}/kiosk/packaging)
install(FILES ${PROJECT_SOURCE_DIR}/docs/raspberry-pi.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR} OPTIONAL)

# --- the Debian package -------------------------------------------------------
# Build it with .ci/package.sh, or:
#   cmake -S . -B build-deb -DCMAKE_INSTALL_PREFIX=/usr && cmake --build build-deb
#   (cd build-deb && cpack -G DEB)
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "kiosk: CMAKE_INSTALL_PREFIX is ${CMAKE_INSTALL_PREFIX}; "
    "configure with -DCMAKE_INSTALL_PREFIX=/usr to build the .deb")
endif()

set(KIOSK_DEB_MAINTAINER "kiosk maintainers <kiosk@localhost>" CACHE STRING
  "Maintainer field of the .deb: Name <email>")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kiosk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${KIOSK_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "touch-screen slideshow and sign-up form for a clinic waiting room")
# The package holds what `cmake --install` puts under the prefix the binary
# was configured for (its data directory is compiled in).
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_NAME kiosk)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${KIOSK_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The extended description; CPack puts the summary above it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "Shows a deck of slides about a treatment in a loop on a touchscreen and lets
clients leave their contact details on an on-screen form; sign-ups are
appended to a CSV file on the device.
.
Includes a systemd service for Raspberry Pi OS Lite (KMS/DRM, no desktop)
and an XDG autostart entry for Raspberry Pi OS with desktop. Neither is
turned on by installing: see /usr/share/doc/kiosk/raspberry-pi.md.")

# The architecture: dpkg's own on a native build; when cross-compiling,
# Debian's name for the target processor.
if(CMAKE_CROSSCOMPILING)
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
    set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
  elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^arm")
    set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE armhf)
  elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|amd64)$")
    set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE amd64)
  endif()
endif()
if(NOT CPACK_DEBIAN_PACKAGE_ARCHITECTURE)
  find_program(KIOSK_DPKG dpkg)
  if(KIOSK_DPKG)
    execute_process(COMMAND ${KIOSK_DPKG} --print-architecture
      OUTPUT_VARIABLE CPACK_DEBIAN_PACKAGE_ARCHITECTURE OUTPUT_STRIP_TRAILING_WHITESPACE)
  else()
    set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${CMAKE_SYSTEM_PROCESSOR})
  endif()
endif()
set(CPACK_DEBIAN_FILE_NAME
  "kiosk_${PROJECT_VERSION}_${CPACK_DEBIAN_PACKAGE_ARCHITECTURE}.deb")

# Runtime packages on Debian 12 / Raspberry Pi OS bookworm, named outright so
# that the Depends line is right whether or not dpkg-shlibdeps runs. adduser
# is used by the postinst. dpkg-shlibdeps, on a native build where it exists,
# adds the versions the binary needs (and libc6); the duplicates that makes
# are harmless to dpkg. It is not run when cross-compiling: it would look up
# the host's libraries.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "libsdl2-2.0-0, libsdl2-ttf-2.0-0, libsdl2-image-2.0-0, libturbojpeg0, libyaml-0-2, libcrypt1, libsystemd0, adduser")
find_program(KIOSK_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(KIOSK_DPKG_SHLIBDEPS AND NOT CMAKE_CROSSCOMPILING)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libc6")
endif()

# Maintainer scripts: user, /etc/kiosk, daemon-reload (see each file).
# No conffiles: nothing is shipped under /etc.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${KIOSK_PACKAGING_SOURCE_DIR}/debian/postinst
  ${KIOSK_PACKAGING_SOURCE_DIR}/debian/prerm
  ${KIOSK_PACKAGING_SOURCE_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

include(CPack)
