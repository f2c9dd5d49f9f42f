/* Every subcommand: tools/cmd_<name>.c */
#ifndef LG_COMMANDS_H
#define LG_COMMANDS_H
int cmd_info(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_overlay(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_riverbuf(int argc, char **argv);
int cmd_gwzone(int argc, char **argv);
int cmd_gwquality(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_workspace(int argc, char **argv);
int cmd_batch(int argc, char **argv);
#endif
