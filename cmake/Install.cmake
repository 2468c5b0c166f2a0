# The SDK's libraries (not the servers) as an installable package: overworld::coc, overworld::toon,
# overworld::sdk, overworld::http_client and the layers below them.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(OVERWORLD_INSTALLED_TARGETS overworld_definitions overworld_core overworld_asio overworld_http_base
    overworld_http_client overworld_policy overworld_sdk overworld_coc overworld_toon)
foreach(t IN LISTS OVERWORLD_INSTALLED_TARGETS)
  string(REPLACE "overworld_" "" short ${t})
  set_target_properties(${t} PROPERTIES EXPORT_NAME ${short})
endforeach()

install(TARGETS ${OVERWORLD_INSTALLED_TARGETS} EXPORT overworldTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(dir core http policy sdk coc toon)
  if(EXISTS ${PROJECT_SOURCE_DIR}/include/overworld/${dir})
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/overworld/${dir} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/overworld)
  endif()
endforeach()
install(EXPORT overworldTargets NAMESPACE overworld:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/overworld)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/overworldConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/overworldConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/overworld)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/overworldConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/overworldConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/overworldConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/overworld)
