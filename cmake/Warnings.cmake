# overworld_definitions: what every user of the libraries compiles with, installed ones included
# (Asio and Beast are compiled once, in overworld_asio).
add_library(overworld_definitions INTERFACE)
target_compile_definitions(overworld_definitions INTERFACE
  BOOST_ASIO_SEPARATE_COMPILATION
  BOOST_BEAST_SEPARATE_COMPILATION
  BOOST_ASIO_NO_DEPRECATED
  BOOST_ASIO_DISABLE_CONCEPTS)

# overworld_options: warnings and sanitizers for every target of the project (not installed).
add_library(overworld_options INTERFACE)
target_link_libraries(overworld_options INTERFACE overworld_definitions)
target_compile_options(overworld_options INTERFACE -Wall -Wextra -Wpedantic)
if(OVERWORLD_WERROR)
  target_compile_options(overworld_options INTERFACE -Werror)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # g++ 12 warns about Boost's own code in release builds (false positives of -Warray-bounds & co).
  target_compile_options(overworld_options INTERFACE -Wno-maybe-uninitialized -Wno-array-bounds
    -Wno-stringop-overflow -Wno-restrict -Wno-mismatched-new-delete)
endif()
# clang 14's -fsanitize=function cannot compile Asio's coroutines ("Cannot represent a difference
# across sections"); the rest of UBSan can.
set(OVERWORLD_UBSAN undefined)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(OVERWORLD_UBSAN undefined -fno-sanitize=function)
  # Precompiled headers without the headers' modification times: the same sources give the same
  # .pch, so the compiler cache still hits after a fresh clone (ccache needs
  # sloppiness=pch_defines,time_macros as well; .ci/run sets it).
  target_compile_options(overworld_options INTERFACE "SHELL:-Xclang -fno-pch-timestamp")
endif()
if(OVERWORLD_SANITIZE STREQUAL "asan")
  target_compile_options(overworld_options INTERFACE -fsanitize=address -fsanitize=${OVERWORLD_UBSAN}
    -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(overworld_options INTERFACE -fsanitize=address,undefined)
elseif(OVERWORLD_SANITIZE STREQUAL "tsan")
  target_compile_options(overworld_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(overworld_options INTERFACE -fsanitize=thread)
endif()
if(OVERWORLD_FUZZ)
  # Coverage instrumentation for every library the harnesses link (and, in the asan preset, for
  # the tests too: one build serves both). The sanitizer runtime supplies the coverage callbacks
  # to programs that are not fuzzers.
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR NOT OVERWORLD_SANITIZE STREQUAL "asan")
    message(FATAL_ERROR "OVERWORLD_FUZZ needs clang and OVERWORLD_SANITIZE=asan (the 'asan' and 'fuzz' presets)")
  endif()
  target_compile_options(overworld_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
