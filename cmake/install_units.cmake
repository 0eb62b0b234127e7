# install_units.cmake — run at install time (install(CODE) in CMakeLists.txt):
# the systemd units from their templates in packaging/, with the paths of the
# prefix being installed to, so that 'cmake --install --prefix /usr/local' gives
# units that run /usr/local/bin/loomsearch-serve and the .deb (prefix /usr) ones
# that run /usr/bin/loomsearch-serve. The prefix is only known now: cpack and
# 'cmake --install --prefix' both choose it after configuring.
# Needs: SRC (packaging/), WORK (a folder in the build tree), BINDIR (relative
# or absolute, as GNUInstallDirs gives it), UNITS (the templates' names without
# .in) and CMAKE_INSTALL_PREFIX.
if(IS_ABSOLUTE "${BINDIR}")
  set(CMAKE_INSTALL_FULL_BINDIR "${BINDIR}")
else()
  set(CMAKE_INSTALL_FULL_BINDIR "${CMAKE_INSTALL_PREFIX}/${BINDIR}")
endif()
set(generated)
foreach(unit IN LISTS UNITS)
  configure_file("${SRC}/${unit}.in" "${WORK}/${unit}" @ONLY)
  list(APPEND generated "${WORK}/${unit}")
endforeach()
# file(INSTALL) is what install(FILES) runs: it honours DESTDIR and records
# the files in the install manifest.
file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system" TYPE FILE
     PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ FILES ${generated})
