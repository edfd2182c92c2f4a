-- Skyforge's own test schema (Apache-2.0, written for this repository), MariaDB/MySQL spelling of
-- clinic.postgresql.sql: composite foreign keys, a self-reference, CHECKs, ENUM and SET, composite unique keys.
CREATE TABLE department (
  department_id int AUTO_INCREMENT PRIMARY KEY,
  code          char(4) NOT NULL UNIQUE,
  name          varchar(60) NOT NULL,
  floor         smallint NOT NULL CHECK (floor BETWEEN 0 AND 12)
) ENGINE=InnoDB;

CREATE TABLE doctor (
  doctor_id     int AUTO_INCREMENT PRIMARY KEY,
  department_id int NOT NULL,
  supervisor_id int NULL,
  first_name    varchar(40) NOT NULL,
  last_name     varchar(40) NOT NULL,
  email         varchar(120) NOT NULL UNIQUE,
  grade         varchar(10) NOT NULL CHECK (grade IN ('junior', 'senior', 'consultant')),
  salary        decimal(10,2) NOT NULL CHECK (salary > 1000 AND salary <= 250000),
  hired_on      date NOT NULL,
  languages     SET('en', 'zh', 'fr', 'de') NOT NULL,
  FOREIGN KEY (department_id) REFERENCES department (department_id),
  FOREIGN KEY (supervisor_id) REFERENCES doctor (doctor_id)
) ENGINE=InnoDB;

CREATE TABLE patient (
  patient_id  bigint AUTO_INCREMENT PRIMARY KEY,
  first_name  varchar(40) NOT NULL,
  last_name   varchar(40) NOT NULL,
  birth_date  date NOT NULL,
  phone       varchar(30),
  city        varchar(60),
  national_id varchar(12) NOT NULL,
  country     char(2) NOT NULL DEFAULT 'US',
  created_at  datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at  datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  full_name   varchar(81) AS (CONCAT(first_name, ' ', last_name)) STORED,
  UNIQUE (country, national_id),
  CHECK (char_length(national_id) >= 6),
  CHECK (updated_at >= created_at)
) ENGINE=InnoDB;

CREATE TABLE slot (
  doctor_id int NOT NULL,
  slot_no   int NOT NULL CHECK (slot_no >= 1),
  weekday   tinyint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  starts_at time NOT NULL,
  PRIMARY KEY (doctor_id, slot_no),
  FOREIGN KEY (doctor_id) REFERENCES doctor (doctor_id)
) ENGINE=InnoDB;

CREATE TABLE visit (
  visit_id   bigint AUTO_INCREMENT PRIMARY KEY,
  patient_id bigint NOT NULL,
  doctor_id  int NOT NULL,
  slot_no    int NOT NULL,
  status     ENUM('booked', 'arrived', 'done', 'no_show') NOT NULL,
  fee        decimal(8,2) NOT NULL CHECK (fee >= 0),
  rating     tinyint CHECK (rating BETWEEN 1 AND 5),
  booked_at  datetime NOT NULL,
  notes      text,
  FOREIGN KEY (patient_id) REFERENCES patient (patient_id),
  FOREIGN KEY (doctor_id, slot_no) REFERENCES slot (doctor_id, slot_no)
) ENGINE=InnoDB;

CREATE TABLE allergy (
  allergy_id int AUTO_INCREMENT PRIMARY KEY,
  patient_id bigint NOT NULL,
  substance  varchar(40) NOT NULL,
  severity   tinyint NOT NULL CHECK (severity IN (1, 2, 3)),
  UNIQUE (patient_id, substance),
  FOREIGN KEY (patient_id) REFERENCES patient (patient_id)
) ENGINE=InnoDB;
