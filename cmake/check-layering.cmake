# Fails when a source file under DIR includes ns-3 or a project header outside ALLOWED.
#
#   cmake -DROOT=<repo> -DDIR=tools -DALLOWED=tools,protocols [-DINCLUDE_ROOTS=tools] -P check-layering.cmake
#
# Why: the protocol cores (and the real-socket tools) must build without ns-3 and without
# model/; the compiler alone would not notice a header reached through the repository root
# (#include "model/..." or "runner/...") or a stray <ns3/...> when ns-3 is installed.
# Quoted includes are resolved as the compiler does (next to the file, then from the include
# roots in ALLOWED and the repository root); one that resolves outside ALLOWED, or does not
# resolve at all inside the repository, is a violation. Angle includes are system headers,
# except ns3/.
cmake_minimum_required(VERSION 3.16)
if(NOT ROOT OR NOT DIR OR NOT ALLOWED)
  message(FATAL_ERROR "check-layering: ROOT, DIR and ALLOWED are required")
endif()
# Comma-separated on the command line: a ";" would split a custom command's argument.
string(REPLACE "," ";" ALLOWED "${ALLOWED}")
string(REPLACE "," ";" INCLUDE_ROOTS "${INCLUDE_ROOTS}")
# Directories the target puts on its include path (besides ROOT): INCLUDE_ROOTS.
set(roots "${ROOT}")
foreach(r IN LISTS INCLUDE_ROOTS)
  list(APPEND roots "${ROOT}/${r}")
endforeach()

file(GLOB_RECURSE files "${ROOT}/${DIR}/*.h" "${ROOT}/${DIR}/*.cc")
set(violations "")
foreach(f IN LISTS files)
  file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include")
  get_filename_component(fdir "${f}" DIRECTORY)
  file(RELATIVE_PATH frel "${ROOT}" "${f}")
  foreach(line IN LISTS lines)
    if(line MATCHES "#[ \t]*include[ \t]*<([^>]+)>")
      set(inc "${CMAKE_MATCH_1}")
      if(inc MATCHES "^ns3/")
        list(APPEND violations "${frel}: <${inc}> (ns-3)")
      endif()
      continue()
    endif()
    if(NOT line MATCHES "#[ \t]*include[ \t]*\"([^\"]+)\"")
      continue()
    endif()
    set(inc "${CMAKE_MATCH_1}")
    if(inc MATCHES "^ns3/")
      list(APPEND violations "${frel}: \"${inc}\" (ns-3)")
      continue()
    endif()
    set(found "")
    foreach(base IN ITEMS "${fdir}" ${roots})
      if(EXISTS "${base}/${inc}")
        get_filename_component(found "${base}/${inc}" REALPATH)
        break()
      endif()
    endforeach()
    if(NOT found)
      list(APPEND violations "${frel}: \"${inc}\" (not found under ${DIR}'s include roots)")
      continue()
    endif()
    file(RELATIVE_PATH rel "${ROOT}" "${found}")
    set(ok FALSE)
    foreach(a IN LISTS ALLOWED)
      if(rel MATCHES "^${a}/")
        set(ok TRUE)
      endif()
    endforeach()
    if(NOT ok)
      list(APPEND violations "${frel}: \"${inc}\" -> ${rel} (outside ${ALLOWED})")
    endif()
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "layering: ${DIR}/ may include only ${ALLOWED} (and no ns-3):\n  ${text}")
endif()
list(LENGTH files n)
message(STATUS "layering: ${DIR}/ ok (${n} files include only ${ALLOWED})")
