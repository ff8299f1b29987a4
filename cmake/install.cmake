# install.cmake: what `cmake --install` puts in place (docs/cli.md,
# README "Install"):
#   bin/chokepoint
#   lib/libckp.a, lib/libckp.so(.SOVERSION, .VERSION)
#   include/ckp/*.h
#   lib/pkgconfig/chokepoint.pc
#   lib/cmake/chokepoint/ (find_package(chokepoint): chokepoint::ckp, ::ckp_static)
#   share/chokepoint/plan.xsd and share/chokepoint/plans/*.xml (the bundled plans)
#   share/man/man1/chokepoint.1, share/bash-completion/completions/chokepoint
#     (generated at build time by chokepoint --generate from the option tables)
#   share/doc/chokepoint/ (README and docs/*.md)
include(CMakePackageConfigHelpers)

if(CMAKE_CROSSCOMPILING)
  set(ckp_gen_default OFF)
else()
  set(ckp_gen_default ON)
endif()
option(CKP_GENERATE_DOCS
  "Generate the man page and bash completion with the built binary" ${ckp_gen_default})

set(CKP_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/chokepoint)
set(CKP_SCHEMA_INSTALL ${CMAKE_INSTALL_DATADIR}/chokepoint/plan.xsd)

install(TARGETS chokepoint RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS ckp ckp_shared EXPORT chokepointTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ckp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_SOURCE_DIR}/schema/plan.xsd ${PROJECT_SOURCE_DIR}/schema/portfolio.xsd
  DESTINATION ${CMAKE_INSTALL_DATADIR}/chokepoint)
file(GLOB ckp_bundled_plans ${PROJECT_SOURCE_DIR}/inputs/*.xml)
install(FILES ${ckp_bundled_plans} DESTINATION ${CMAKE_INSTALL_DATADIR}/chokepoint/plans)
file(GLOB ckp_docs ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${ckp_docs} DESTINATION ${CMAKE_INSTALL_DOCDIR})

# CMake package
install(EXPORT chokepointTargets NAMESPACE chokepoint::
  DESTINATION ${CKP_CMAKE_INSTALL_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/chokepointConfig.cmake.in
  ${PROJECT_BINARY_DIR}/chokepointConfig.cmake
  INSTALL_DESTINATION ${CKP_CMAKE_INSTALL_DIR}
  PATH_VARS CKP_SCHEMA_INSTALL)
# 0.x: only the same minor version is compatible (as the SONAME says)
if(PROJECT_VERSION_MAJOR GREATER 0)
  set(ckp_compat SameMajorVersion)
else()
  set(ckp_compat SameMinorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/chokepointConfigVersion.cmake
  COMPATIBILITY ${ckp_compat})
install(FILES ${PROJECT_BINARY_DIR}/chokepointConfig.cmake
  ${PROJECT_BINARY_DIR}/chokepointConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/FindGLPK.cmake
  DESTINATION ${CKP_CMAKE_INSTALL_DIR})

# pkg-config
file(RELATIVE_PATH CKP_PC_TO_PREFIX
  ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" CKP_PC_TO_PREFIX "${CKP_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/chokepoint.pc.in
  ${PROJECT_BINARY_DIR}/chokepoint.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/chokepoint.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Man page and bash completion, from the same tables as --help
if(CKP_GENERATE_DOCS)
  set(ckp_man ${PROJECT_BINARY_DIR}/man/chokepoint.1)
  set(ckp_completion ${PROJECT_BINARY_DIR}/completion/chokepoint)
  foreach(what man completion)
    if(what STREQUAL "man")
      set(out ${ckp_man})
    else()
      set(out ${ckp_completion})
    endif()
    add_custom_command(OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/${what}
      COMMAND ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE:chokepoint> -DWHAT=${what}
              -DOUT=${out} -P ${PROJECT_SOURCE_DIR}/cmake/generate.cmake
      DEPENDS chokepoint ${PROJECT_SOURCE_DIR}/cmake/generate.cmake
      COMMENT "Generating ${what} from the option tables")
  endforeach()
  add_custom_target(ckp_generated_docs ALL DEPENDS ${ckp_man} ${ckp_completion})
  install(FILES ${ckp_man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  install(FILES ${ckp_completion}
    DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
endif()
