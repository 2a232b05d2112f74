# Helpers shared by every module's CMakeLists.txt.

# Warnings are PRIVATE to each target so they never leak to other modules.
function(veche_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wnon-virtual-dtor -Wold-style-cast)
  if(VECHE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# veche_add_module(NAME SOURCES a.cpp b.cpp DEPS veche_core ... PRIVATE_DEPS ...)
# Creates library veche_<NAME> with public headers in src/<NAME>/include.
function(veche_add_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(veche_${name} STATIC ${M_SOURCES})
  target_include_directories(veche_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                           PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(veche_${name} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  veche_warnings(veche_${name})
endfunction()

# veche_add_test(NAME SOURCES ... DEPS ...): one GoogleTest binary per module, found by CTest.
function(veche_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name}_tests ${T_SOURCES})
  target_link_libraries(${name}_tests PRIVATE ${T_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  set_target_properties(${name}_tests PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  target_compile_definitions(${name}_tests PRIVATE
    VECHE_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    VECHE_SHARED_DIR="${CMAKE_SOURCE_DIR}/../shared")
  veche_warnings(${name}_tests)
  gtest_discover_tests(${name}_tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${name})
endfunction()
