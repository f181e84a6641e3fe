import CYaml
public func _probe() { var p = yaml_parser_t(); _ = yaml_parser_initialize(&p) }
