/* placeholder until written */
int cmd_gwquality(int argc, char **argv);
int cmd_gwquality(int argc, char **argv) { (void)argc; (void)argv; return 5; }
