# Writes a man page (roff) from a program's own --help, so that the page says what the program
# does: cmake -DPROGRAM=<binary> -DNAME=<name> -DSUMMARY=<one line> -DHELP_FLAG=--help-all
#             -DVERSION=<version> -DOUTPUT=<file.1> -P cmake/ManPage.cmake
execute_process(COMMAND ${PROGRAM} ${HELP_FLAG} OUTPUT_VARIABLE help RESULT_VARIABLE rc
                ENCODING UTF-8)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} ${HELP_FLAG} failed: ${rc}")
endif()
# roff: a backslash is written \e, and a line may not start with '.' or '\''.
string(REPLACE "\\" "\\e" help "${help}")
string(REGEX REPLACE "\n([.'])" "\n\\\\&\\1" help "\n${help}")
string(TOUPPER "${NAME}" title)
file(WRITE "${OUTPUT}"
  ".TH ${title} 1 \"\" \"overworld ${VERSION}\" \"User Commands\"\n"
  ".SH NAME\n${NAME} \\- ${SUMMARY}\n"
  ".SH SYNOPSIS\n.B ${NAME}\n[\\fIoptions\\fR] ...\n"
  ".SH DESCRIPTION\nThe text of \\fB${NAME} ${HELP_FLAG}\\fR:\n"
  ".nf\n${help}\n.fi\n"
  ".SH SEE ALSO\n\\fBoverworld\\fR(1), \\fBoverworld-server\\fR(1); docs/cli.md and docs/configuration.md in the\n"
  "source tree.\n")
