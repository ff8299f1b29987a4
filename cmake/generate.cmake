# generate.cmake: write one text the chokepoint binary generates from its
# option tables (man page, bash completion) into a file, replacing it only
# once complete.
#   cmake -DBIN=chokepoint -DWHAT=man|completion -DOUT=file -P generate.cmake
execute_process(COMMAND "${BIN}" --generate "${WHAT}"
  OUTPUT_FILE "${OUT}.tmp" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE "${OUT}.tmp")
  message(FATAL_ERROR "${BIN} --generate ${WHAT} failed: ${rc}")
endif()
file(RENAME "${OUT}.tmp" "${OUT}")
