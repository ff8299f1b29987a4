# embed.cmake: turn a text file into a C source defining a NUL-terminated
# array, so the plan schema is compiled into the library.
#   cmake -DIN=file.xsd -DOUT=file.c -DSYMBOL=name -P embed.cmake
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" body "${body}")
file(WRITE "${OUT}.tmp"
  "/* Generated from ${IN} by cmake/embed.cmake: do not edit. */\n"
  "const char ${SYMBOL}[] = {\n${body}0x00\n};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
