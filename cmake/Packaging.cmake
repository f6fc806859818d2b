# Installs the files that make kiosk start at power-on and restart on crash.
# Included from the top-level CMakeLists.txt. The Debian package is built
# from what this installs, by debian/rules (dpkg-buildpackage);
# docs/raspberry-pi.md says how a person uses it.
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
#   (the manual pages are installed by the top-level CMakeLists.txt)
#
# Nothing is installed under /etc. The two ways to start at power-on are
# both opt-in, one command each, because one package serves Raspberry Pi OS
# Lite (the systemd unit) and Desktop (the autostart entry) and installing it
# must not take the screen by itself: the autostart entry is copied to
# ~/.config/autostart (or /etc/xdg/autostart) by whoever wants it, and the
# unit enabled with systemctl. /etc/kiosk/kiosk.yaml is created by the
# postinst (debian/kiosk.postinst) from the template, only when missing, so
# a staff-edited file is never overwritten and no conffile handling is
# needed.

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
