ckp_module(input input/plan.c input/xml_read.c input/check.c ${CKP_SCHEMA_C})
target_link_libraries(ckp_input PRIVATE LibXml2::LibXml2)
