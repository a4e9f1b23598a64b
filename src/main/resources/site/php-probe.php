<?php
// Stageguard's parity probe: prints what this PHP is, as JSON. It loads nothing of WordPress and writes nothing.
$ini = array();
foreach ( array( 'memory_limit', 'max_execution_time', 'upload_max_filesize', 'post_max_size', 'max_input_vars' ) as $key ) {
	$ini[ $key ] = (string) ini_get( $key );
}
$extensions = array_map( 'strtolower', get_loaded_extensions() );
sort( $extensions );
echo json_encode( array(
	'version'    => PHP_VERSION,
	'extensions' => $extensions,
	'ini'        => $ini,
) );
